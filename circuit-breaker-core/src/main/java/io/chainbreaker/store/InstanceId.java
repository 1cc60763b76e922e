package io.chainbreaker.store;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/** The default id of an engine instance in the audit trail: host name and process id. */
final class InstanceId {

  private InstanceId() {}

  static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
    int at = runtime.indexOf('@');
    return host + ":" + (at > 0 ? runtime.substring(0, at) : runtime);
  }
}
