package org.tandem.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a load depends on besides the file, injectable for tests.
 *
 * @param baseDir where relative paths in the file (log_dir, cdr dir, file: secrets) start
 * @param env environment lookup for {@code env:VAR} secrets
 * @param deviceExists whether a DAHDI device directory exists on this machine
 * @param resolveSecrets whether {@code env:}/{@code file:} secrets are read; when false they are
 *     checked for syntax only and carry no value
 */
public record LoadOptions(Path baseDir, Function<String, String> env, Predicate<Path> deviceExists,
        boolean resolveSecrets) {

    public LoadOptions(Path baseDir, Function<String, String> env, Predicate<Path> deviceExists) {
        this(baseDir, env, deviceExists, true);
    }

    /** The Tandem home, the real environment and the real file system. */
    public static LoadOptions defaults() {
        return new LoadOptions(home(), System::getenv, Files::isDirectory);
    }

    /**
     * For commands that describe a configuration rather than run it ({@code dahdi-conf}), often on
     * another machine than the one it is for: no {@code /dev/dahdi} check, secrets not read. A
     * configuration loaded this way must not be run.
     */
    public static LoadOptions offline() {
        return defaults().withDeviceExists(p -> true).withoutSecrets();
    }

    public LoadOptions withEnv(Function<String, String> env) {
        return new LoadOptions(baseDir, env, deviceExists, resolveSecrets);
    }

    public LoadOptions withDeviceExists(Predicate<Path> deviceExists) {
        return new LoadOptions(baseDir, env, deviceExists, resolveSecrets);
    }

    public LoadOptions withBaseDir(Path baseDir) {
        return new LoadOptions(baseDir, env, deviceExists, resolveSecrets);
    }

    public LoadOptions withoutSecrets() {
        return new LoadOptions(baseDir, env, deviceExists, false);
    }

    /** The system property {@code tandem.home} (bin/tandem sets it), else the working directory. */
    public static Path home() {
        String home = System.getProperty("tandem.home");
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath().normalize();
    }
}
