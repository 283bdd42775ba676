#!/usr/bin/env bash
# Installe Chromium (paquet Debian) pour les tests navigateur, s'il manque.
# Les navigateurs téléchargés par Playwright ne sont pas joignables ici : on utilise celui de Debian.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installation de Chromium (paquet Debian « chromium »)…"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
