// A command whose code loads the first time it runs, so activation does not read it (the build
// makes each such module a file of its own, dist/lib/). Tests replace its dialogs through `prompts`.

/** What a lazily loaded command is once loaded: its dialogs, and the one call that runs it. */
export interface LoadedCommand<Prompts, Args extends unknown[], Result> {
  prompts: Prompts;
  run(...args: Args): Promise<Result>;
}

export class LazyCommand<Prompts, Args extends unknown[], Result> {
  /** Dialogs that replace the command's own (tests); set before or after it loaded. */
  prompts: Prompts | undefined;
  private loaded: Promise<LoadedCommand<Prompts, Args, Result>> | undefined;

  constructor(private readonly load: () => Promise<LoadedCommand<Prompts, Args, Result>>) {}

  async run(...args: Args): Promise<Result> {
    this.loaded ??= this.load();
    const command = await this.loaded;
    if (this.prompts) command.prompts = this.prompts;
    return command.run(...args);
  }
}
