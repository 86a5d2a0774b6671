/**
 * The {@code tandem} command: argument parsing and subcommands ({@code version}, {@code run},
 * {@code check-config}, ...). The only place in the product that prints to stdout/stderr.
 */
package org.tandem.gateway.app;
