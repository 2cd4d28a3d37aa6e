using System.Text.Json;

namespace SmsGateway.Sending;

/// <summary>A send's body as the provider defines it: <c>{ "id": 42, "phone": 79001234567, "text": "..." }</c>.</summary>
public sealed record SmsRequest(long Id, long Phone, string Text)
{
    // 11 to 15 digits: a country code and a subscriber number, at most E.164's 15.
    private const long SmallestPhone = 10_000_000_000;
    private const long LargestPhone = 999_999_999_999_999;

    /// <summary>
    /// Reads the body strictly, as the provider does: numbers must be JSON integers (a phone sent as a string is
    /// refused, which System.Text.Json's web defaults would accept). Problems are keyed by field, <c>body</c> for the document.
    /// </summary>
    public static async Task<(SmsRequest? Request, Dictionary<string, string[]> Errors)> ReadAsync(
        Stream body, long routeId, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            errors["body"] = [$"The body is not JSON: {e.Message}"];
            return (null, errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["The body must be a JSON object with id, phone and text."];
                return (null, errors);
            }

            var id = Integer(root, "id");
            if (id is null)
            {
                errors["id"] = ["'id' must be a JSON integer (64-bit)."];
            }
            else if (id != routeId)
            {
                errors["id"] = [$"'id' must equal the id in the path ({routeId})."];
            }

            var phone = Integer(root, "phone");
            if (phone is not (>= SmallestPhone and <= LargestPhone))
            {
                errors["phone"] = ["'phone' must be a JSON integer of 11 to 15 digits, such as 79001234567."];
            }

            var text = root.TryGetProperty("text", out var textElement) && textElement.ValueKind == JsonValueKind.String
                ? textElement.GetString()
                : null;
            if (string.IsNullOrEmpty(text))
            {
                errors["text"] = ["'text' must be a non-empty string."];
            }

            return errors.Count == 0 ? (new SmsRequest(id!.Value, phone!.Value, text!), errors) : (null, errors);
        }
    }

    /// <summary>The property as a whole number; null when it is absent, not a number, fractional or beyond 64 bits.</summary>
    private static long? Integer(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value)
            ? value
            : null;
}
