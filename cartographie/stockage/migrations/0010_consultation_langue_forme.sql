-- La fiche à remettre se choisit dans une langue et sous une forme (standard ou discrète) :
-- l'événement « fiche imprimée » les garde, en codes (fr, ar, prs… ; standard, discrete),
-- jamais rien d'autre. Les agrégats les comptent comme les autres dimensions.
ALTER TABLE consultation ADD COLUMN langue VARCHAR;
ALTER TABLE consultation ADD COLUMN forme VARCHAR;
