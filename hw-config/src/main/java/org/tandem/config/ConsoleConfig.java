package org.tandem.config;

import java.nio.file.Path;

/** {@code [console]}: the local socket {@code tandem ctl} talks to. */
public record ConsoleConfig(Path socket) {
}
