// Type helpers over the OpenAPI `paths` map: which routes exist, their query/path parameters, bodies and JSON results.
import type { paths } from "./schema";

export type Paths = paths;

type OpOf<P extends keyof Paths, M extends "get" | "post"> = Paths[P] extends { [K in M]: infer O } ? O : never;

export type GetPath = { [P in keyof Paths]: Paths[P] extends { get: object } ? P : never }[keyof Paths];
export type PostPath = { [P in keyof Paths]: Paths[P] extends { post: object } ? P : never }[keyof Paths];

type ParamsOf<O> = O extends { parameters: infer Pa } ? Pa : never;

export type QueryOf<P extends GetPath> = ParamsOf<OpOf<P, "get">> extends { query?: infer Q } ? NonNullable<Q> : never;
export type PathParamsOf<P extends GetPath> = ParamsOf<OpOf<P, "get">> extends { path: infer A }
  ? [A] extends [never | undefined]
    ? never
    : NonNullable<A>
  : never;

type OkJson<O> = O extends { responses: { 200: { content: { "application/json": infer T } } } } ? T : never;
export type GetResult<P extends GetPath> = OkJson<OpOf<P, "get">>;
export type PostResult<P extends PostPath> = OkJson<OpOf<P, "post">>;
export type PostBody<P extends PostPath> = OpOf<P, "post"> extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;
