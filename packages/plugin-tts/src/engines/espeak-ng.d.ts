/** The parts of the `espeak-ng` package (the eSpeak NG command line, built with Emscripten) this plugin uses. */
declare module 'espeak-ng' {
  interface EmscriptenFs {
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string): Uint8Array;
  }
  interface ESpeakNgModule {
    FS: EmscriptenFs;
  }
  interface ESpeakNgOptions {
    /** The command line; the program runs once, as the module loads. */
    arguments: string[];
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    preRun?: Array<(module: ESpeakNgModule) => void>;
    instantiateWasm?: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;
  }
  export default function ESpeakNg(options: ESpeakNgOptions): Promise<ESpeakNgModule>;
}
