-- The catalogue of interventions becomes data its administrators edit:
-- each entry has a name in Italian and one in English (empty: the Italian
-- one stands in), may be retired (no longer offered for new actions, while
-- the projects that already use it keep it), and carries an edit version,
-- so that an edit made from an old version is refused, not lost. The names
-- of the entries seeded with the catalogue are those the translation
-- catalogue gave them.
ALTER TABLE interventions ADD COLUMN name_it TEXT NOT NULL DEFAULT '';
ALTER TABLE interventions ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE interventions ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE interventions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE interventions SET name_it = 'Corso di lingua italiana', name_en = 'Italian language course' WHERE code = 'italian_course';
UPDATE interventions SET name_it = 'Accompagnamento nella ricerca della casa', name_en = 'Accompaniment in the search for housing' WHERE code = 'housing_search';
UPDATE interventions SET name_it = 'Arredi per l''autonomia abitativa', name_en = 'Furniture for living independently' WHERE code = 'housing_furniture';
UPDATE interventions SET name_it = 'Sostegno all''affitto', name_en = 'Rent support' WHERE code = 'rent_support';
UPDATE interventions SET name_it = 'Asilo nido', name_en = 'Nursery' WHERE code = 'childcare_nursery';
UPDATE interventions SET name_it = 'Babysitting', name_en = 'Babysitting' WHERE code = 'childcare_babysitting';
UPDATE interventions SET name_it = 'Beni di prima necessità e spese', name_en = 'Basic goods and expenses' WHERE code = 'basic_goods';
UPDATE interventions SET name_it = 'Corso di formazione professionale', name_en = 'Vocational course' WHERE code = 'vocational_course';
UPDATE interventions SET name_it = 'Patente di guida', name_en = 'Driving licence' WHERE code = 'driving_licence';
UPDATE interventions SET name_it = 'Corso HACCP', name_en = 'HACCP course' WHERE code = 'haccp_course';
UPDATE interventions SET name_it = 'Accompagnamento dell''operatore di riferimento', name_en = 'Accompaniment by the reference operator' WHERE code = 'operator_accompaniment';
UPDATE interventions SET name_it = 'Orientamento civico', name_en = 'Civic orientation' WHERE code = 'civic_orientation';
UPDATE interventions SET name_it = 'Sostegno educativo individuale e di gruppo', name_en = 'Individual and group educational support' WHERE code = 'educational_support';
UPDATE interventions SET name_it = 'Sostegno psicologico', name_en = 'Psychological support' WHERE code = 'psychological_support';
UPDATE interventions SET name_it = 'Sostegno alla genitorialità', name_en = 'Parenting support' WHERE code = 'parenting_support';
UPDATE interventions SET name_it = 'Orientamento e inserimento lavorativo', name_en = 'Job orientation and placement' WHERE code = 'job_placement';
UPDATE interventions SET name_it = 'Appartamento protetto', name_en = 'Protected apartment' WHERE code = 'protected_apartment';
UPDATE interventions SET name_it = 'Mediazione linguistico-culturale', name_en = 'Linguistic-cultural mediation' WHERE code = 'cultural_mediation';
UPDATE interventions SET name_it = 'Consulenza etnoclinica', name_en = 'Ethno-clinical consultation' WHERE code = 'ethnoclinical_consultation';
UPDATE interventions SET name_it = 'Assistenza legale', name_en = 'Legal aid' WHERE code = 'legal_aid';

-- Administrators add, edit and retire the entries of the catalogue.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'intervention', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'intervention', 'network');
