/**
 * Read the config from this folder instead of environments/ (same file names and exports). For
 * trying a change, or a test, without touching the checked-in files. @default unset: environments/
 * (A module of its own so a CLI can name it in --help without loading the schema.)
 */
export const CONFIG_DIR_ENV = "PLATFORM_CONFIG_DIR";
