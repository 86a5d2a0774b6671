/** JNA bindings for the RTP path; C names stay C names here only. */
package org.tandem.gateway.rtp.jna;
