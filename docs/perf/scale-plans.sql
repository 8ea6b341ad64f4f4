\pset pager off
SELECT id AS ws FROM workspaces WHERE slug = 'scale-measured' \gset
SELECT created_at AS dat, id AS did FROM leads WHERE workspace_id = :'ws' ORDER BY created_at DESC, id DESC OFFSET 180000 LIMIT 1 \gset
SELECT substr(phone, 3) AS ph FROM contacts WHERE workspace_id = :'ws' ORDER BY id LIMIT 1 \gset
SET ROLE atrium_app;
SET plan_cache_mode = force_generic_plan;
SELECT set_config('app.workspace_id', :'ws', false) \g /dev/null
PREPARE p1(uuid, int) AS SELECT t."id", t."name", t."email", t."phone", t."source", t."status", t."created_at", c."id" AS "contact.id" FROM "public"."leads" AS t CROSS JOIN LATERAL (SELECT p.* FROM "public"."contacts" AS p WHERE p."workspace_id" = t."workspace_id" AND p."id" = t."contact_id" LIMIT 1) AS c WHERE t."workspace_id" = $1 ORDER BY t."created_at" DESC, t."id" DESC LIMIT $2;
PREPARE deep(uuid, timestamptz, uuid, int) AS SELECT t."id", t."name", t."email", t."phone", t."source", t."status", t."created_at", c."id" AS "contact.id" FROM "public"."leads" AS t CROSS JOIN LATERAL (SELECT p.* FROM "public"."contacts" AS p WHERE p."workspace_id" = t."workspace_id" AND p."id" = t."contact_id" LIMIT 1) AS c WHERE (t."workspace_id" = $1 AND (t."created_at", t."id") < ($2::timestamptz, $3::uuid)) ORDER BY t."created_at" DESC, t."id" DESC LIMIT $4;
PREPARE cnt(uuid, int) AS SELECT COUNT(*) AS "count" FROM (SELECT 1 FROM "public"."leads" AS t WHERE t."workspace_id" = $1 LIMIT $2) AS n;
\echo '### leads page 1'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE p1(:'ws', 26);
\echo '### leads deep page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE deep(:'ws', :'dat', :'did', 26);
\echo '### leads count (capped)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE cnt(:'ws', 1001);
\echo '### search_contacts as called (app role)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM search_contacts(:'ws', '%Garcia%', '%garcia%', NULL, NULL, NULL, NULL, false, 51);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT search_contacts_count(:'ws', '%Garcia%', '%garcia%', NULL, NULL, 1000);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM search_contacts(:'ws', '%' || :'ph' || '%', '%' || :'ph' || '%', '%' || :'ph' || '%', NULL, NULL, NULL, false, 51);
RESET ROLE;
\echo '### the function body, as its owner (the plan inside the function): name'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT c.* FROM contacts c WHERE c.workspace_id = :'ws' AND (c.name ILIKE '%Garcia%' OR c.email LIKE '%garcia%') ORDER BY c.created_at DESC, c.id DESC LIMIT 51;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM (SELECT 1 FROM contacts c WHERE c.workspace_id = :'ws' AND (c.name ILIKE '%Garcia%' OR c.email LIKE '%garcia%') LIMIT 1001) m;
\echo '### the count by arm (migration 20261129030000): the name arm, then the others whose name does not match'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM (SELECT 1 FROM contacts c WHERE c.workspace_id = :'ws' AND c.name ILIKE '%Garcia%' LIMIT 1001) m;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM (SELECT 1 FROM contacts c WHERE c.workspace_id = :'ws' AND (c.email LIKE 'garcia%' OR split_part(c.email, '@', -1) LIKE 'garcia%') AND NOT (c.name ILIKE '%Garcia%') LIMIT 1001) m;
\echo '### phone'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT c.* FROM contacts c WHERE c.workspace_id = :'ws' AND (c.name ILIKE '%' || :'ph' || '%' OR c.email LIKE '%' || :'ph' || '%' OR c.phone LIKE '%' || :'ph' || '%') ORDER BY c.created_at DESC, c.id DESC LIMIT 51;
\echo '### analytics leads rollup read'
SET ROLE atrium_app;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM analytics_daily_leads WHERE workspace_id = :'ws' AND day >= current_date - 89 AND day < current_date;
