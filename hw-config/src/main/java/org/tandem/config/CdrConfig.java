package org.tandem.config;

import java.nio.file.Path;

/** {@code [cdr]}: where call detail records go and in which format. */
public record CdrConfig(Path dir, Format format) {
    public enum Format implements Token {
        CSV;
    }
}
