/**
 * SIP <-> ISDN interworking rules that are pure tables and text: Q.850 cause names, the RFC 3398
 * cause maps with per-trunk/group overrides, the RFC 3326 Reason header, RFC 3325 caller identity
 * mapping, and RFC 2617/7616 digest computations. Nothing here touches a socket or a thread.
 */
package org.tandem.gateway.interwork;
