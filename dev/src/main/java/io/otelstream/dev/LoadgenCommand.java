package io.otelstream.dev;

import io.otelstream.cli.VersionProvider;
import io.otelstream.perf.LoadGenerator;
import io.otelstream.perf.LoadOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Send synthetic OTLP traces, metrics or logs to an edge and report rate and ack latency.")
final class LoadgenCommand implements Callable<Integer> {
  @Mixin LoadOptions options;

  @Override
  public Integer call() throws Exception {
    LoadGenerator.Result result = new LoadGenerator(options.validated()).run();
    System.out.println(result.summary());
    return result.failedRequests() == 0 ? 0 : 1;
  }
}
