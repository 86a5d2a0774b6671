/**
 * The control console's server side: {@code tandem ctl} talks to {@link
 * org.tandem.gateway.ctl.CtlServer} over a Unix domain socket that only the gateway's user can
 * open. Protocol (one request per connection): the client sends one UTF-8 line, the command's
 * words separated by spaces, optionally starting with {@code --json}; the server answers
 * {@code OK} or {@code ERR} on the first line, then the output, then closes the connection.
 */
package org.tandem.gateway.ctl;
