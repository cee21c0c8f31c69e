-- Specialties are now named by admins, not only seeded: two may not share a name in either
-- language, whatever the Latin letters' case.
CREATE UNIQUE INDEX specialties_name_ar_key ON specialties (name_ar);
CREATE UNIQUE INDEX specialties_name_en_lower_key ON specialties (lower(name_en));
