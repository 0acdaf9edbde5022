"""ヘルプ: the offline 操作マニュアル and バージョン情報."""
