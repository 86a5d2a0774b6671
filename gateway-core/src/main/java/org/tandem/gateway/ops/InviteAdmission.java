package org.tandem.gateway.ops;

/**
 * What overload control of new INVITEs shows operators ({@code security.OverloadControl}, docs/SECURITY.md):
 * read live by the console and SNMP, never locked.
 */
public interface InviteAdmission {
    /** None configured: nothing refused. */
    InviteAdmission NONE = new InviteAdmission() {
        @Override
        public int reductionPercent() {
            return 0;
        }

        @Override
        public long rejected() {
            return 0;
        }
    };

    /** The share of new INVITEs refused now, 0-100. */
    int reductionPercent();

    /** New INVITEs refused with 503 since start. */
    long rejected();
}
