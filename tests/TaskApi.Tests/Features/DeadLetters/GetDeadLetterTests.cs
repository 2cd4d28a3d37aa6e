using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.DeadLetters.Storing;
using TaskApi.Tests.Features.DeadLetters.Storing;
using Tasks.Shared;

namespace TaskApi.Tests.Features.DeadLetters;

[Collection(nameof(DeadLetterApiCollection))]
public sealed class GetDeadLetterTests(DeadLetterApi api)
{
    [Fact]
    public async Task Get_KeyAndPayloadNotUtf8_ShowsThemAsBase64()
    {
        var marker = Guid.NewGuid().ToString("N");
        var record = DeadLetterConsumerTests.Record(KafkaTopics.MessagesSendDeadLetter, Random.Shared.NextInt64(1_000_000_000, 2_000_000_000), marker);
        record.Message.Key = [0xC3, 0x28];
        record.Message.Value = [0x00, 0xFF];
        await api.Services.GetRequiredService<DeadLetterStore>().StoreAsync([record], CancellationToken.None);

        var listed = Assert.Single((await api.ListAsync($"reason={marker}")).GetProperty("items").EnumerateArray());
        Assert.Equal(("wyg=", true), (listed.GetProperty("key").GetString(), listed.GetProperty("keyBase64").GetBoolean()));
        var detail = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/dead-letters/{listed.GetProperty("id").GetInt64()}");
        Assert.Equal(("wyg=", true), (detail.GetProperty("key").GetString(), detail.GetProperty("keyBase64").GetBoolean()));
        Assert.Equal(("AP8=", true), (detail.GetProperty("payload").GetString(), detail.GetProperty("payloadBase64").GetBoolean()));
    }

    [Theory]
    [InlineData("GET", "/dead-letters/{0}")]
    [InlineData("POST", "/dead-letters/{0}/replay")]
    [InlineData("POST", "/dead-letters/{0}/discard")]
    public async Task AnyRoute_UnknownId_Returns404Problem(string verb, string route)
    {
        var unknown = long.MaxValue - Random.Shared.Next(1000);

        using var response = await api.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(verb), string.Format(route, unknown)));

        var problem = await response.ReadProblemAsync(404);
        Assert.Contains(unknown.ToString(), problem.GetProperty("detail").GetString());
    }
}
