#!/usr/bin/env bash
# Copie dans static/vendor/ les fichiers JS/CSS dont la carte a besoin, depuis le registre npm.
# L'application les sert elle-même (/app/static/vendor/...) : la carte s'affiche sans Internet
# et aucune requête ne part vers un CDN tiers. Copie aussi la police DejaVu Sans (Unicode) de la
# fiche PDF dans cartographie/polices/. Relancer ce script après un changement de version.
# axe-core sert à l'audit d'accessibilité des tests (tests/test_accessibilite.py) ; du DSFR, on
# ne garde que la police Marianne et le bloc-marque, montrés seulement si le déploiement règle
# CARTOGRAPHIE_MARQUE_ETAT (l'usage du DSFR est réservé aux services de l'État).
set -euo pipefail
cd "$(dirname "$0")/.."

PAQUETS=(leaflet@1.9.4 leaflet.markercluster@1.5.3 jquery@3.7.1 dejavu-fonts-ttf@2.37.3
  axe-core@4.14.1 @gouvfr/dsfr@1.15.3)
DEST=static/vendor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

(cd "$TMP" && npm pack --silent "${PAQUETS[@]}" >/dev/null)
for archive in "$TMP"/*.tgz; do
  nom=$(basename "$archive" .tgz)
  mkdir -p "$TMP/$nom"
  tar xzf "$archive" -C "$TMP/$nom"
done

rm -rf "$DEST"
mkdir -p "$DEST/leaflet/images" "$DEST/markercluster" "$DEST/jquery" "$DEST/axe-core" \
  "$DEST/dsfr/fonts"

L="$TMP/leaflet-1.9.4/package"
cp "$L/dist/leaflet.js" "$L/dist/leaflet.css" "$DEST/leaflet/"
cp "$L"/dist/images/*.png "$DEST/leaflet/images/"
cp "$L/LICENSE" "$DEST/leaflet/LICENSE"

M="$TMP/leaflet.markercluster-1.5.3/package"
cp "$M/dist/leaflet.markercluster.js" "$M/dist/MarkerCluster.css" \
  "$M/dist/MarkerCluster.Default.css" "$DEST/markercluster/"
cp "$M/MIT-LICENCE.txt" "$DEST/markercluster/LICENSE" 2>/dev/null || cp "$M"/LICEN* "$DEST/markercluster/"

J="$TMP/jquery-3.7.1/package"
cp "$J/dist/jquery.min.js" "$DEST/jquery/"
cp "$J/LICENSE.txt" "$DEST/jquery/LICENSE"

A="$TMP/axe-core-4.14.1/package"
cp "$A/axe.min.js" "$DEST/axe-core/"
cp "$A/LICENSE" "$DEST/axe-core/LICENSE"
cp "$A/LICENSE-3RD-PARTY.txt" "$DEST/axe-core/"

F="$TMP/gouvfr-dsfr-1.15.3/package"
for police in Marianne-Regular Marianne-Regular_Italic Marianne-Medium Marianne-Bold; do
  cp "$F/dist/fonts/$police.woff2" "$DEST/dsfr/fonts/"
done
cp "$F/dist/component/logo/logo.min.css" "$DEST/dsfr/"
cp "$F/LICENSE.md" "$DEST/dsfr/LICENSE.md"
cp "$F/doc/legal/cgu.md" "$DEST/dsfr/cgu.md" 2>/dev/null || true

D="$TMP/dejavu-fonts-ttf-2.37.3/package"
POLICES=cartographie/polices
mkdir -p "$POLICES"
cp "$D/ttf/DejaVuSans.ttf" "$D/ttf/DejaVuSans-Bold.ttf" "$POLICES/"
cp "$D/LICENSE" "$POLICES/LICENSE-DejaVu"

# Les fichiers minifiés citent une source map absente : on retire la ligne (pas de 404 inutile).
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/leaflet/leaflet.js" \
  "$DEST/markercluster/leaflet.markercluster.js" "$DEST/jquery/jquery.min.js"
sed -i '/^\/\*# sourceMappingURL=/d' "$DEST/dsfr/logo.min.css"
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$DEST/dsfr/logo.min.css"

{
  echo "# Fichiers tiers servis par l'application (produits par scripts/vendoriser_assets.sh)."
  echo "# Paquets npm : ${PAQUETS[*]}"
  (cd "$DEST" && find . -type f ! -name SHA256SUMS ! -name VERSIONS | sort | xargs sha256sum)
} >"$DEST/VERSIONS"
echo "static/vendor/ et $POLICES/ à jour :"
du -sh "$DEST" "$POLICES"
