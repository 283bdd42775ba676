-- Le journal des comptes ne garde plus un identifiant qui n'existe pas tel qu'il a été tapé :
-- c'est souvent un mot de passe saisi dans le champ « Identifiant », que la page « Comptes »
-- montrait ensuite à tous les administrateurs. Les lignes déjà écrites par les versions
-- précédentes sont effacées de la même façon (les comptes ne sont jamais supprimés : un
-- identifiant absent de `compte` n'a jamais existé).

UPDATE journal_compte
SET identifiant = '(identifiant inconnu)'
WHERE identifiant NOT IN (SELECT identifiant FROM compte);
