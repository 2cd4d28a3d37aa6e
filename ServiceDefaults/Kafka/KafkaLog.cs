using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>librdkafka's own log lines and errors, routed to ILogger.</summary>
internal static class KafkaLog
{
    public static void Write(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "{Facility}: {Message}", message.Facility, message.Message);
    }

    public static void Write(ILogger logger, Error error) =>
        logger.Log(error.IsFatal ? LogLevel.Critical : LogLevel.Warning, "Kafka error {Code}: {Reason}", error.Code, error.Reason);
}
