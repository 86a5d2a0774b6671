/** PEM certificates and keys for SIP over TLS, read with the JDK only (docs/SIP.md "TLS"). */
package org.tandem.config.tls;
