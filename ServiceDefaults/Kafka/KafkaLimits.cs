namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The largest Kafka record the system writes or accepts, set alike on every side so a record one side takes is never
/// refused by the next: the producers' <c>message.max.bytes</c>, the broker's <c>message.max.bytes</c> (every topic's
/// <c>max.message.bytes</c> defaults to it) and the consumers' <c>max.partition.fetch.bytes</c>.
/// </summary>
public static class KafkaLimits
{
    /// <summary>
    /// 16 MiB. Our largest record is a campaign's <c>CampaignChanged</c> at the largest input the API takes (two
    /// template parts of 512 KiB, a 998-character subject, a 10,000-character message): at most about 6.1 MiB of JSON
    /// even when every character is one JSON escapes to <c>\u00XX</c> (6 bytes for 1), 2.3 MiB for Cyrillic text.
    /// </summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;
}
