#!/bin/sh
# Install the Linux build for the current user (no root needed):
#   packaging/linux/install.sh [dist/kankei-desktop]
# Copies the application to ~/.local/opt/kankei-desktop, links the two programs into
# ~/.local/bin, and installs the menu entry, the icon and the .kankei file type.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source=${1:-"$here/../../dist/kankei-desktop"}
target="$HOME/.local/opt/kankei-desktop"
data=${XDG_DATA_HOME:-"$HOME/.local/share"}
[ -x "$source/kankei-desktop" ] || { echo "No build at $source: run packaging/build.py first." >&2; exit 1; }
mkdir -p "$target" "$HOME/.local/bin" "$data/applications" "$data/icons/hicolor/256x256/apps" \
         "$data/icons/hicolor/scalable/apps" "$data/mime/packages"
rm -rf "$target"
cp -a "$source" "$target"
ln -sf "$target/kankei-desktop" "$HOME/.local/bin/kankei-desktop"
ln -sf "$target/kankei" "$HOME/.local/bin/kankei"
sed "s|^Exec=kankei-desktop|Exec=$target/kankei-desktop|" "$here/kankei-desktop.desktop" \
    > "$data/applications/kankei-desktop.desktop"
cp "$here/../../resources/icons/app.png" "$data/icons/hicolor/256x256/apps/kankei-desktop.png"
cp "$here/../../resources/icons/app.svg" "$data/icons/hicolor/scalable/apps/kankei-desktop.svg"
cp "$here/kankei-bundle.xml" "$data/mime/packages/kankei-bundle.xml"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Installed. Start 'Kankei Desktop' from the menu, or run: kankei-desktop --self-test"
