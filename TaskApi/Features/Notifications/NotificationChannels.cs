using System.Collections.Frozen;
using System.Text.Json;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>A channel's name in the API (email, sms, inApp, as users' preferences name them) and in the database (email, sms, in_app).</summary>
public static class NotificationChannels
{
    public static readonly FrozenDictionary<string, DeliveryChannel> ByApiName =
        Enum.GetValues<DeliveryChannel>().ToFrozenDictionary(ApiName);

    /// <summary>"one of: email, sms, inApp", for validation messages.</summary>
    public static readonly string OneOf = $"one of: {string.Join(", ", ByApiName.Keys)}";

    public static string ApiName(DeliveryChannel channel) => JsonNamingPolicy.CamelCase.ConvertName(channel.ToString());

    public static string ApiName(string storedName) => ApiName(StatusNames<DeliveryChannel>.Parse(storedName));

    public static string StoredName(string apiName) => StatusNames<DeliveryChannel>.Of(ByApiName[apiName]);
}
