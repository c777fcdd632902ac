// Parses PromQL expressions with @prometheus-io/lezer-promql (the grammar of the Prometheus web UI).
// Input: a JSON file with an array of expressions. Output (stdout): a JSON array of
// {"expr": ..., "errors": [{"from": n, "to": n, "near": "..."}]} in input order. Exit 0 unless the input is unreadable.
import { readFileSync } from "node:fs";
import { parser } from "@prometheus-io/lezer-promql";

const exprs = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = exprs.map((expr) => {
  const errors = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push({ from: node.from, to: node.to, near: expr.slice(Math.max(0, node.from - 10), node.to + 10) });
      }
    },
  });
  return { expr, errors };
});
process.stdout.write(JSON.stringify(results));
