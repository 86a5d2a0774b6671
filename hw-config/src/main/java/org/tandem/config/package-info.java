/**
 * The gateway's configuration: INI files parsed and validated once, before anything starts, into immutable objects. Nothing else in Tandem reads INI.
 */
package org.tandem.config;
