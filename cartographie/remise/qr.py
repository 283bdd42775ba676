"""Le code QR du lien partageable : elle rouvre les lieux choisis sur son téléphone."""

from __future__ import annotations

import io

import segno


def qr_png(lien: str, echelle: int = 8) -> bytes:
    """Le code QR du lien en PNG (noir sur blanc, marge réglementaire de 4 modules).

    Correction d'erreur « M » : une fiche pliée ou tachée se lit encore.
    """
    tampon = io.BytesIO()
    segno.make_qr(lien, error="m").save(tampon, kind="png", scale=echelle, border=4)
    return tampon.getvalue()


def qr_svg(lien: str) -> str:
    """Le code QR du lien en SVG, à insérer dans la page HTML à imprimer."""
    return segno.make_qr(lien, error="m").svg_inline(scale=4, border=4)
