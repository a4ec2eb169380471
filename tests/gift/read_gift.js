// Test-only: parse a GIFT file with gift-pegjs and print the questions as JSON on stdout.
const fs = require("fs");
const { parse } = require("gift-pegjs");
const text = fs.readFileSync(process.argv[2], "utf8");
process.stdout.write(JSON.stringify(parse(text)));
