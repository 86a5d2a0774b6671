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
 */
public record LoadOptions(Path baseDir, Function<String, String> env, Predicate<Path> deviceExists) {

    /** The Tandem home, the real environment and the real file system. */
    public static LoadOptions defaults() {
        return new LoadOptions(home(), System::getenv, Files::isDirectory);
    }

    public LoadOptions withEnv(Function<String, String> env) {
        return new LoadOptions(baseDir, env, deviceExists);
    }

    public LoadOptions withDeviceExists(Predicate<Path> deviceExists) {
        return new LoadOptions(baseDir, env, deviceExists);
    }

    public LoadOptions withBaseDir(Path baseDir) {
        return new LoadOptions(baseDir, env, deviceExists);
    }

    /** The system property {@code tandem.home} (bin/tandem sets it), else the working directory. */
    public static Path home() {
        String home = System.getProperty("tandem.home");
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath().normalize();
    }
}
