// The part of @vercel/ncc's JS API that scripts/build.ts uses (the package ships no types).
declare module '@vercel/ncc' {
  interface NccOptions {
    cache?: string | false;
    /** Modules left out of the bundle; an object maps each to the specifier the bundle imports instead. */
    externals?: string[] | Record<string, string>;
    /** The output's file name (default index.js); chunks are named `<id>.<filename>`. */
    filename?: string;
    license?: string;
    quiet?: boolean;
    minify?: boolean;
    sourceMap?: boolean;
    target?: string;
    /** package.json fields tried, in order, for a package without `exports`. */
    mainFields?: string[];
  }
  interface NccAsset {
    source: string | Buffer;
    permissions?: number;
  }
  interface NccResult {
    code: string;
    assets: Record<string, NccAsset>;
  }
  export default function ncc(entry: string, options?: NccOptions): Promise<NccResult>;
}
