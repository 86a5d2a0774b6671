package org.tandem.jna.libc;

/** Symbolic names of Linux errno values, for messages ("ENXIO"). */
public final class Errno {
    private static final String[] NAMES = new String[134];

    static {
        String[] pairs = {
            "1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC",
            "9 EBADF", "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "15 ENOTBLK",
            "16 EBUSY", "17 EEXIST", "18 EXDEV", "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL",
            "23 ENFILE", "24 EMFILE", "25 ENOTTY", "26 ETXTBSY", "27 EFBIG", "28 ENOSPC", "29 ESPIPE",
            "30 EROFS", "31 EMLINK", "32 EPIPE", "33 EDOM", "34 ERANGE", "35 EDEADLK", "36 ENAMETOOLONG",
            "38 ENOSYS", "61 ENODATA", "62 ETIME", "71 EPROTO", "74 EBADMSG", "75 EOVERFLOW",
            "88 ENOTSOCK", "90 EMSGSIZE", "91 EPROTOTYPE", "92 ENOPROTOOPT", "93 EPROTONOSUPPORT",
            "94 ESOCKTNOSUPPORT", "95 EOPNOTSUPP", "97 EAFNOSUPPORT", "103 ECONNABORTED",
            "104 ECONNRESET", "105 ENOBUFS", "107 ENOTCONN", "110 ETIMEDOUT", "111 ECONNREFUSED",
            "113 EHOSTUNREACH", "114 EALREADY", "115 EINPROGRESS", "125 ECANCELED",
        };
        for (String p : pairs) {
            int sp = p.indexOf(' ');
            NAMES[Integer.parseInt(p.substring(0, sp))] = p.substring(sp + 1);
        }
    }

    private Errno() {
    }

    /** "ENXIO", "ELAST" (DAHDI's 500) or "errno 123" when the value has no name here. */
    public static String name(int errno) {
        if (errno == LibC.ELAST) {
            return "ELAST";
        }
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }
}
