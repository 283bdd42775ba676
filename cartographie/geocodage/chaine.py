"""Géocodage : d'une adresse (fiche d'acteur ou saisie de recherche) à une position qualifiée.

La chaîne, dans l'ordre :
1. coordonnées données explicitement → gardées (`manuelle`) ;
2. Base Adresse Nationale, si activée et joignable (ou déjà en cache) : résultat accepté
   seulement au-dessus du score minimal et dans la commune indiquée → `adresse` ou `rue` ;
3. hors ligne : code postal + nom de commune (tolérant) → point représentatif de la commune,
   toujours dans son contour → `commune` ;
4. rien de reconnu → `non_localise`, sans coordonnées, avec un message qui dit ce qui n'a pas
   été compris. Jamais de point par défaut.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import duckdb

from cartographie import config, horloge
from cartographie.communes import (
    Commune,
    commune_contenant,
    commune_par_code,
    communes_nommees,
    communes_par_code_postal,
    dans_commune,
)
from cartographie.geocodage.ban import CandidatBan, ClientBan
from cartographie.geocodage.demande import Demande, Position
from cartographie.geocodage.saisie import comprendre_saisie
from cartographie.modele import Acteur, Precision
from cartographie.stockage import geocodage as depot_cache
from cartographie.texte import normaliser

SOURCE_SAISIE = "saisie"
SOURCE_BAN = "ban"
SOURCE_REFERENTIEL = "referentiel"
_PRECISION_BAN = {"housenumber": Precision.ADRESSE, "street": Precision.RUE}
_PRECISION_BAN["locality"] = Precision.RUE  # lieu-dit : aussi précis qu'une rue
_TAILLE_MEMOIRE = 512


class SourceCurseurs(Protocol):
    """Ce dont le géocodeur a besoin pour son cache en base : des curseurs neufs."""

    def cursor(self) -> duckdb.DuckDBPyConnection: ...


class Geocodeur:
    """La chaîne de géocodage ; un par processus pour partager cache mémoire et disjoncteur."""

    def __init__(
        self,
        chemin_communes: Path | str,
        *,
        client: ClientBan | None = None,
        con: SourceCurseurs | None = None,
        score_min: float = 0.6,
    ) -> None:
        self.chemin_communes = Path(chemin_communes)
        self.client = client
        self.score_min = score_min
        self._con = con
        self._memoire: OrderedDict[str, depot_cache.EntreeCache] = OrderedDict()
        self._verrou_memoire = threading.Lock()  # partagé entre les sessions Streamlit

    @classmethod
    def depuis_reglages(
        cls, con: SourceCurseurs | None = None, environ: Mapping[str, str] | None = None
    ) -> Geocodeur:
        """Le géocodeur configuré par les réglages `CARTOGRAPHIE_*` (hors ligne par défaut)."""
        client = None
        if config.lire_booleen("GEOCODAGE_EN_LIGNE", environ):
            client = ClientBan(
                config.lire("BAN_URL", environ), delai=config.lire_reel("BAN_DELAI", environ)
            )
        return cls(
            config.lire_chemin("COMMUNES_GEOJSON", environ),
            client=client,
            con=con,
            score_min=config.lire_reel("BAN_SCORE_MIN", environ),
        )

    @property
    def en_ligne(self) -> bool:
        """Vrai si le service national est activé et pas en pause après une panne."""
        return self.client is not None and self.client.disponible()

    def geocoder(self, demande: Demande, *, conserver: bool = True) -> Position:
        """Applique la chaîne ; `conserver=False` garde la réponse en mémoire seulement."""
        if demande.latitude is not None and demande.longitude is not None:
            return self._saisie(demande.latitude, demande.longitude)
        communes, remarque = self._communes(demande)
        adresse = demande.adresse.strip()
        if adresse:
            trouvee, remarque_adresse = self._adresse(demande, communes, conserver)
            if trouvee is not None:
                return trouvee
            remarque = remarque or remarque_adresse
        if len(communes) == 1:
            commune = communes[0]
            return Position(
                commune.latitude,
                commune.longitude,
                Precision.COMMUNE,
                SOURCE_REFERENTIEL,
                commune.code_insee,
                commune.nom,
                f"{commune.nom} ({', '.join(commune.codes_postaux)})",
                remarque,
            )
        return Position(
            None, None, Precision.NON_LOCALISE, "", message=_non_compris(demande, communes)
        )

    def geocoder_recherche(self, texte: str) -> Position:
        """Point de départ d'une recherche tapé librement ; rien n'est écrit en base."""
        if not texte.strip():
            return Position(None, None, Precision.NON_LOCALISE, "", message="Saisie vide.")
        return self.geocoder(comprendre_saisie(texte, self.chemin_communes), conserver=False)

    def _saisie(self, latitude: float, longitude: float) -> Position:
        commune = commune_contenant(latitude, longitude, self.chemin_communes)
        return Position(
            latitude,
            longitude,
            Precision.MANUELLE,
            SOURCE_SAISIE,
            commune.code_insee if commune else "",
            commune.nom if commune else "",
            f"{latitude:.5f}, {longitude:.5f}",
            "" if commune else "Coordonnées hors de l'Isère.",
        )

    def _communes(self, demande: Demande) -> tuple[tuple[Commune, ...], str]:
        """Les communes que la demande désigne, et une remarque si elle se contredit."""
        if demande.code_insee.strip():
            commune = commune_par_code(demande.code_insee, self.chemin_communes)
            if commune is not None:
                return (commune,), ""
        code_postal = demande.code_postal.strip()
        du_code_postal = (
            tuple(communes_par_code_postal(code_postal, self.chemin_communes))
            if code_postal
            else ()
        )
        if demande.commune.strip():
            nommees = communes_nommees(demande.commune, self.chemin_communes)
            communes_du_code = {c.code_insee for c in du_code_postal}
            accordees = tuple(c for c in nommees if c.code_insee in communes_du_code)
            if accordees:
                return accordees, _remarque_fusion(demande.commune, accordees)
            if nommees:
                if code_postal:
                    return nommees, (
                        f"Code postal {code_postal} ignoré : ce n'est pas celui de"
                        f" {nommees[0].nom}."
                    )
                return nommees, _remarque_fusion(demande.commune, nommees)
            if len(du_code_postal) == 1:
                return du_code_postal, (
                    f"Commune « {demande.commune.strip()} » non reconnue : placée d'après le code"
                    f" postal {code_postal} ({du_code_postal[0].nom})."
                )
        return du_code_postal, ""

    def _adresse(
        self, demande: Demande, communes: tuple[Commune, ...], conserver: bool
    ) -> tuple[Position | None, str]:
        """Étape 2 : cache puis service national. Renvoie (position, remarque si échec)."""
        if demande.confidentielle:
            return None, "Adresse confidentielle : jamais transmise au service national."
        cle = cle_cache(demande.adresse, communes, demande.code_postal)
        entree = self._lire_cache(cle)
        if entree is None:
            if self.client is None:
                return None, "Géocodage à l'adresse désactivé : position au centre de la commune."
            entree = self._demander(demande, communes, cle)
            if entree is None:
                return None, (
                    "Adresse non vérifiée : service national d'adresses injoignable,"
                    " position au centre de la commune."
                )
            self._ecrire_cache(entree, conserver)
        if not entree.trouve:
            return (
                None,
                f"Adresse « {demande.adresse.strip()} » non trouvée par le service national ({entree.libelle}).",
            )
        commune = commune_par_code(entree.code_insee, self.chemin_communes)
        return Position(
            entree.latitude,
            entree.longitude,
            entree.precision,
            entree.source,
            entree.code_insee,
            commune.nom if commune else "",
            entree.libelle,
        ), ""

    def _demander(
        self, demande: Demande, communes: tuple[Commune, ...], cle: str
    ) -> depot_cache.EntreeCache | None:
        """Interroge le service ; None s'il est injoignable, sinon une entrée (trouvée ou non)."""
        assert self.client is not None
        texte = " ".join(
            p
            for p in (
                demande.adresse.strip(),
                demande.code_postal.strip(),
                communes[0].nom if len(communes) == 1 else demande.commune.strip(),
            )
            if p
        )
        candidats = self.client.chercher(
            texte,
            code_insee=communes[0].code_insee if len(communes) == 1 else "",
            code_postal=demande.code_postal.strip(),
        )
        if candidats is None:
            return None
        maintenant = horloge.maintenant()
        motif = "aucun résultat"
        for candidat in candidats:
            rejet = self._rejet(candidat, communes)
            if rejet is None:
                return depot_cache.EntreeCache(
                    cle,
                    True,
                    candidat.latitude,
                    candidat.longitude,
                    _PRECISION_BAN[candidat.type],
                    self._commune_du_point(candidat, communes),
                    candidat.libelle,
                    candidat.score,
                    SOURCE_BAN,
                    maintenant,
                )
            if motif == "aucun résultat":
                motif = rejet
        return depot_cache.EntreeCache(
            cle, False, None, None, Precision.NON_LOCALISE, "", motif, None, SOURCE_BAN, maintenant
        )

    def _rejet(self, candidat: CandidatBan, communes: tuple[Commune, ...]) -> str | None:
        """Pourquoi un candidat est refusé, ou None s'il est acceptable."""
        if candidat.score < self.score_min:
            return f"score {candidat.score:.2f} inférieur au minimum {self.score_min:.2f}"
        if candidat.type not in _PRECISION_BAN:
            return f"résultat seulement au niveau « {candidat.type} »"
        if communes:
            if not any(
                dans_commune(
                    c.code_insee, candidat.latitude, candidat.longitude, self.chemin_communes
                )
                for c in communes
            ):
                noms = ", ".join(c.nom for c in communes)
                return f"point trouvé hors de la commune indiquée ({noms}) : « {candidat.libelle} »"
        elif commune_contenant(candidat.latitude, candidat.longitude, self.chemin_communes) is None:
            return f"point trouvé hors de l'Isère : « {candidat.libelle} »"
        return None

    def _commune_du_point(self, candidat: CandidatBan, communes: tuple[Commune, ...]) -> str:
        for commune in communes:
            if dans_commune(
                commune.code_insee, candidat.latitude, candidat.longitude, self.chemin_communes
            ):
                return commune.code_insee
        contenant = commune_contenant(candidat.latitude, candidat.longitude, self.chemin_communes)
        return contenant.code_insee if contenant else ""

    def _lire_cache(self, cle: str) -> depot_cache.EntreeCache | None:
        with self._verrou_memoire:
            if cle in self._memoire:
                self._memoire.move_to_end(cle)
                return self._memoire[cle]
        if self._con is None:
            return None
        with self._con.cursor() as cur:
            return depot_cache.lire(cur, cle)

    def _ecrire_cache(self, entree: depot_cache.EntreeCache, conserver: bool) -> None:
        if conserver and self._con is not None:
            with self._con.cursor() as cur:
                depot_cache.ecrire(cur, entree)
            return
        with self._verrou_memoire:
            self._memoire[entree.cle] = entree
            while len(self._memoire) > _TAILLE_MEMOIRE:
                self._memoire.popitem(last=False)


def demande_acteur(acteur: Acteur) -> Demande:
    """Ce qu'une fiche dit de son lieu, coordonnées non comprises (on les recherche)."""
    return Demande(
        adresse=acteur.adresse,
        code_postal=acteur.code_postal,
        commune=acteur.commune,
        code_insee=acteur.code_insee,
        confidentielle=acteur.adresse_confidentielle,
    )


def cle_cache(adresse: str, communes: tuple[Commune, ...], code_postal: str = "") -> str:
    """Clé d'une adresse : même adresse écrite autrement (accents, « St », casse) = même clé."""
    lieu = communes[0].code_insee if len(communes) == 1 else code_postal.strip()
    return f"{normaliser(adresse)}|{lieu}"


def _remarque_fusion(saisie: str, communes: tuple[Commune, ...]) -> str:
    """Signale qu'un ancien nom a été reconnu : la personne voit où elle a été placée."""
    if len(communes) != 1:
        return ""
    commune, cle = communes[0], normaliser(saisie)
    if cle in {normaliser(n) for n in commune.anciens_noms} and cle != normaliser(commune.nom):
        return f"« {saisie.strip()} » fait aujourd'hui partie de la commune de {commune.nom}."
    return ""


def _non_compris(demande: Demande, communes: tuple[Commune, ...]) -> str:
    """Le message d'échec : dire précisément ce qui n'a pas été compris."""
    if len(communes) > 1:
        noms = ", ".join(c.nom for c in communes[:6]) + (" …" if len(communes) > 6 else "")
        return (
            f"Le code postal {demande.code_postal.strip()} couvre {len(communes)} communes"
            f" ({noms}) : précisez la commune."
        )
    problemes = []
    if demande.commune.strip():
        problemes.append(f"commune « {demande.commune.strip()} » inconnue en Isère")
    if demande.code_insee.strip():
        problemes.append(f"code INSEE {demande.code_insee.strip()} inconnu en Isère")
    if demande.code_postal.strip():
        problemes.append(f"code postal {demande.code_postal.strip()} inconnu en Isère")
    if demande.adresse.strip() and not problemes:
        problemes.append(
            f"adresse « {demande.adresse.strip()} » sans commune reconnue (indiquez la commune)"
        )
    if not problemes:
        problemes.append("ni adresse, ni commune, ni code postal")
    return "Lieu non localisé : " + " ; ".join(problemes) + "."
