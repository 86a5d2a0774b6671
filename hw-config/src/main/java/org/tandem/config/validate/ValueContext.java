package org.tandem.config.validate;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * What parsing a value may depend on besides its text: where relative paths start, how to read
 * environment variables (injected so tests do not depend on the real environment), and whether
 * {@code env:}/{@code file:} secrets are read at all.
 *
 * @param resolveSecrets false for commands that never use a secret ({@code dahdi-conf}): the
 *     reference is checked for syntax only and the {@link org.tandem.config.Secret} has no value
 */
public record ValueContext(Path baseDir, Function<String, String> env, boolean resolveSecrets) {

    public ValueContext(Path baseDir, Function<String, String> env) {
        this(baseDir, env, true);
    }
}
