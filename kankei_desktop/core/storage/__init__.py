"""Storage: the database file, its migrations, backups, lock and integrity."""
