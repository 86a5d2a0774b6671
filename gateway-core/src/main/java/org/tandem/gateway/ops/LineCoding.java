package org.tandem.gateway.ops;

/** Line code as DS1-MIB (RFC 4805) dsx1LineCoding names it; {@link #code()} is its value. */
public enum LineCoding {
    B8ZS(2), AMI(5), HDB3(3);

    private final int code;

    LineCoding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
