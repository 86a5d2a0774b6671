package org.tandem.pri.jna;

import com.sun.jna.NativeLibrary;

import java.util.HashMap;
import java.util.Map;

/**
 * Loads libpri once. Tries {@code pri} (the development link {@code libpri.so}) and falls back to
 * {@code libpri.so.1.4}, which is all a runtime-only box has. Availability is checked once and
 * explained ({@link #isAvailable()}, {@link #unavailabilityCause()}), the way Netty's
 * {@code Epoll} does.
 */
public final class LibPriLoader {
    /** Library names tried in order. */
    static final String[] NAMES = {"pri", "libpri.so.1.4"};

    private static final LibPri INSTANCE;
    private static final Throwable UNAVAILABILITY_CAUSE;

    static {
        LibPri lib = null;
        Throwable cause = null;
        Map<String, Object> options = new HashMap<>();
        options.put(com.sun.jna.Library.OPTION_STRING_ENCODING, "ISO-8859-1");
        for (String name : NAMES) {
            try {
                lib = DirectLibPri.bind(NativeLibrary.getInstance(name, options));
                break;
            } catch (UnsatisfiedLinkError e) {
                if (cause == null) {
                    cause = new UnsatisfiedLinkError("libpri not found as 'pri' nor 'libpri.so.1.4'"
                        + " (install libpri1.4, or libpri-dev for the headers): " + e.getMessage());
                } else {
                    cause.addSuppressed(e);
                }
            }
        }
        INSTANCE = lib;
        UNAVAILABILITY_CAUSE = lib == null ? cause : null;
    }

    private LibPriLoader() {
    }

    public static boolean isAvailable() {
        return INSTANCE != null;
    }

    /** Why libpri could not be loaded, or null when it was. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /**
     * The loaded library.
     *
     * @throws IllegalStateException with the load failure as its cause when libpri is missing
     */
    public static LibPri libPri() {
        if (INSTANCE == null) {
            throw new IllegalStateException("libpri is not available", UNAVAILABILITY_CAUSE);
        }
        return INSTANCE;
    }
}
