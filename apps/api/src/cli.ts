// `pnpm atrium <command>`: operator commands. Filled in by later issues (admin grant, …).
const [command] = process.argv.slice(2);
console.error(command ? `unknown command: ${command}` : "usage: pnpm atrium <command>");
process.exit(2);
