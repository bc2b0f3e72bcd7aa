import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Language, Parser, type Node, type Tree } from "web-tree-sitter";

const require = createRequire(import.meta.url);

let parser: Parser | undefined;

/** A tree-sitter-bicep parser (WASM; syntax only, no types or semantics). */
async function bicepParser(): Promise<Parser> {
  if (parser === undefined) {
    await Parser.init();
    const language = await Language.load(
      require.resolve("tree-sitter-bicep/tree-sitter-bicep.wasm"),
    );
    parser = new Parser();
    parser.setLanguage(language);
  }

  return parser;
}

/** Parses Bicep source; throws if tree-sitter returns no tree. */
export async function parseBicep(source: string): Promise<Tree> {
  const tree = (await bicepParser()).parse(source);
  if (tree === null) {
    throw new Error("tree-sitter returned no tree");
  }

  return tree;
}

/** Parses a Bicep file. */
export async function parseBicepFile(file: string): Promise<Tree> {
  return parseBicep(readFileSync(file, "utf8"));
}

/** Every ERROR or MISSING node, as `line:column type`. */
export function syntaxErrors(node: Node): string[] {
  const here =
    node.isError || node.isMissing
      ? [`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.type}`]
      : [];
  return [...here, ...node.children.filter((c) => c !== null).flatMap((c) => syntaxErrors(c))];
}

/** Top-level declarations of one node type (`parameter_declaration`, `module_declaration`...). */
export function declarations(tree: Tree, type: string): Node[] {
  return tree.rootNode.namedChildren.filter((n): n is Node => n !== null && n.type === type);
}

/** The identifier a declaration declares (`param <name>`, `output <name>`, `module <name>`). */
export function declaredName(declaration: Node): string {
  const identifier = declaration.namedChildren.find((c) => c?.type === "identifier");
  return identifier?.text ?? "";
}

/** Keys of the object under `key` in a declaration's body (e.g. a module's `params`). */
export function objectKeys(declaration: Node, key: string): string[] {
  const body = declaration.namedChildren.find((c) => c?.type === "object");
  const property = body?.namedChildren.find((p) => p?.namedChildren[0]?.text === key);
  const value = property?.namedChildren[1];

  return (value?.namedChildren ?? [])
    .filter((p): p is Node => p !== null && p.type === "object_property")
    .map((p) => p.namedChildren[0]?.text ?? "");
}
