package org.tandem.config.validate;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * What parsing a value may depend on besides its text: where relative paths start, and how to
 * read environment variables (injected so tests do not depend on the real environment).
 */
public record ValueContext(Path baseDir, Function<String, String> env) {
}
