using System.Text.Json;
using Fluid;
using Fluid.Values;
using Tasks.Shared;

namespace Tasks.EmailTemplates;

/// <summary>
/// The variables as Fluid values built here, never .NET objects for Fluid to reflect on: a template reaches nothing but
/// these. Immutable, so one model serves all three parts of an email.
/// </summary>
internal sealed class LiquidModel
{
    private static readonly FluidValue NoFields = Dictionary([]);

    private readonly (string Name, FluidValue Value)[] _roots;

    public LiquidModel(EmailVariables variables)
    {
        _roots =
        [
            ("recipient", Person(variables.Recipient, ("fields", variables.Fields is { ValueKind: JsonValueKind.Object } fields ? FromJson(fields) : NoFields))),
            ("sender", Person(variables.Sender)),
            ("message", StringValue.Create(variables.Message)),
            ("campaign", Dictionary([("name", StringValue.Create(variables.CampaignName))])),
            ("unsubscribe_url", StringValue.Create(variables.UnsubscribeUrl)),
        ];
    }

    public void SetInto(TemplateContext context)
    {
        foreach (var (name, value) in _roots)
        {
            context.SetValue(name, value);
        }
    }

    private static FluidValue Person(EmailPerson person, params (string, FluidValue)[] more) =>
        Dictionary([("email", StringValue.Create(person.Email)), ("name", StringValue.Create(person.Name ?? "")), .. more]);

    private static FluidValue Dictionary(IEnumerable<(string Name, FluidValue Value)> members)
    {
        // A JSON object may repeat a name; the last one wins, as in JavaScript.
        var dictionary = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
        foreach (var (name, value) in members)
        {
            dictionary[name] = value;
        }
        return new DictionaryValue(new FluidValueDictionaryFluidIndexable(dictionary));
    }

    // System.Text.Json parses at most 64 levels deep, so the recursion is bounded.
    private static FluidValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Dictionary(element.EnumerateObject().Select(property => (property.Name, FromJson(property.Value)))),
        JsonValueKind.Array => new ArrayValue(element.EnumerateArray().Select(FromJson).ToArray()),
        JsonValueKind.String => StringValue.Create(element.GetString()!),
        JsonValueKind.Number => element.TryGetDecimal(out var number) ? NumberValue.Create(number) : StringValue.Create(element.GetRawText()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        _ => NilValue.Instance,
    };
}
