/** The app settings are missing or malformed; lists every problem, one per setting. */
export class AppSettingsError extends Error {
  override readonly name = "AppSettingsError";
  readonly code = "InvalidAppSettings";
  readonly retryable = false;

  constructor(readonly problems: string[]) {
    super(
      `The Function app's settings are not valid (${problems.length} problem(s)):\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        "\nSet them in the app's configuration (or local.settings.json locally); " +
        "local.settings.json.example lists every setting.",
    );
  }
}
