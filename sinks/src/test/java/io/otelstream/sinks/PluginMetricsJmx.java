package io.otelstream.sinks;

import java.lang.management.ManagementFactory;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Reads the sinks' plugin metrics from JMX, where the Connect worker in this JVM reports them. */
final class PluginMetricsJmx {
  private PluginMetricsJmx() {}

  /** The sum of a metric over every task of the connector (0 before it was first recorded). */
  static double sum(String connector, String metric) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double total = 0;
    for (ObjectName name : server.queryNames(new ObjectName("kafka.connect:*"), null)) {
      if (!connector.equals(name.getKeyProperty("connector"))) {
        continue;
      }
      for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
        if (attribute.getName().equals(metric)) {
          Object value = server.getAttribute(name, metric);
          if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
            total += n.doubleValue();
          }
        }
      }
    }
    return total;
  }
}
