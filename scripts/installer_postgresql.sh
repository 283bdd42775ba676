#!/usr/bin/env bash
# Installe PostgreSQL 15, PostGIS 3 et nginx (paquets Debian) s'ils manquent : le serveur des
# tests « postgresql » (démarré à la demande dans un dossier temporaire, jamais le service du
# système) et le mandataire de `make run-multi`. Idempotent, comme installer_chromium.sh.
set -euo pipefail
manquants=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || manquants+=(postgresql-15)
[ -x /usr/lib/postgresql/15/bin/pg_dump ] || manquants+=(postgresql-client-15)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || manquants+=(postgresql-15-postgis-3)
[ -x /usr/sbin/nginx ] || manquants+=(nginx)
if [ ${#manquants[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installation de ${manquants[*]} (paquets Debian)…"
$SUDO apt-get update -q
# Pas de grappe « main » démarrée en service : les tests et run-multi lancent la leur.
$SUDO mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/cartographie.conf >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${manquants[@]}"
