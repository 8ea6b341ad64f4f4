// Migrations are plain SQL applied by packages/db's runner (the schema engine cannot be
// downloaded here); this config serves `prisma generate` and, where the engine exists,
// `prisma migrate status`. (A plain object: the `prisma` package lives in packages/db.)
export default {
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
};
