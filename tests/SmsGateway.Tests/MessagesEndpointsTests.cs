using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsGateway.Tests;

/// <summary><c>GET /messages</c>, <c>GET /messages/{id}</c> and <c>DELETE /messages</c>: what the gateway received.</summary>
public sealed class MessagesEndpointsTests
{
    [Fact]
    public async Task Get_ReceivedId_AnswersWhatWasSentAndWhen()
    {
        using var gateway = GatewayHost.Start();
        var before = DateTimeOffset.UtcNow;

        await GatewayHost.SendAsync(gateway.CreateSender(), 42, phone: 447700900123, text: "code 1234");

        var message = await gateway.CreateClient().GetFromJsonAsync<JsonElement>("/messages/42");
        Assert.Equal(42, message.GetProperty("id").GetInt64());
        Assert.Equal(447700900123, message.GetProperty("phone").GetInt64());
        Assert.Equal("code 1234", message.GetProperty("text").GetString());
        Assert.InRange(message.GetProperty("receivedAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
        Assert.Equal(1, message.GetProperty("timesReceived").GetInt32());
        Assert.Equal(200, message.GetProperty("lastAnswer").GetInt32());
    }

    [Fact]
    public async Task Get_UnknownId_Answers404Problem()
    {
        using var gateway = GatewayHost.Start();

        var response = await gateway.CreateClient().GetAsync("/messages/404");

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Send_SameIdThreeTimes_RecordedOnceWithItsCountAndTwoDuplicates()
    {
        using var gateway = GatewayHost.Start();
        var sender = gateway.CreateSender();

        await GatewayHost.SendAsync(sender, 5, text: "first");
        await GatewayHost.SendAsync(sender, 5, text: "second");
        await GatewayHost.SendAsync(sender, 5, text: "third");
        await GatewayHost.SendAsync(sender, 6);

        var list = await gateway.GetMessagesAsync();
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        Assert.Equal(2, list.GetProperty("duplicates").GetInt64());
        var five = list.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("id").GetInt64() == 5);
        Assert.Equal(3, five.GetProperty("timesReceived").GetInt32());
        Assert.Equal("third", five.GetProperty("text").GetString());
    }

    [Fact]
    public async Task List_FiveMessagesInPagesOfTwo_NewestFirst()
    {
        using var gateway = GatewayHost.Start();
        var sender = gateway.CreateSender();
        foreach (var id in new long[] { 1, 2, 3, 4, 5 })
        {
            await GatewayHost.SendAsync(sender, id);
        }
        // Received again, so it is the newest.
        await GatewayHost.SendAsync(sender, 2);

        var pages = new List<long[]>();
        for (var page = 1; page <= 4; page++)
        {
            var list = await gateway.GetMessagesAsync($"?page={page}&pageSize=2");
            Assert.Equal(5, list.GetProperty("total").GetInt32());
            pages.Add([.. list.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64())]);
        }

        Assert.Equal([[2, 5], [4, 3], [1], []], pages);
    }

    [Fact]
    public async Task List_NoPageGiven_AnswersTheFirst100()
    {
        using var gateway = GatewayHost.Start();
        var sender = gateway.CreateSender();
        await Task.WhenAll(Enumerable.Range(1, 101).Select(id => GatewayHost.SendAsync(sender, id)));

        var list = await gateway.GetMessagesAsync();

        Assert.Equal(101, list.GetProperty("total").GetInt32());
        Assert.Equal(100, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=1001", "pageSize")]
    [InlineData("?page=0", "page")]
    public async Task List_PagingOutOfRange_Answers400NamingIt(string query, string field)
    {
        using var gateway = GatewayHost.Start();

        var response = await gateway.CreateClient().GetAsync($"/messages{query}");

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task List_PageNotANumber_Answers400Problem()
    {
        using var gateway = GatewayHost.Start();

        var response = await gateway.CreateClient().GetAsync("/messages?page=first");

        await response.ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Clear_AfterSends_LeavesNothing()
    {
        using var gateway = GatewayHost.Start();
        var sender = gateway.CreateSender();
        await GatewayHost.SendAsync(sender, 1);
        await GatewayHost.SendAsync(sender, 1);

        var response = await gateway.CreateClient().DeleteAsync("/messages");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var list = await gateway.GetMessagesAsync();
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(0, list.GetProperty("duplicates").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.CreateClient().GetAsync("/messages/1")).StatusCode);
    }

    [Fact]
    public async Task Send_MoreIdsThanMaxStored_KeepsTheLatestIds()
    {
        using var gateway = GatewayHost.Start(("Gateway:MaxStored", "3"));
        var sender = gateway.CreateSender();
        foreach (var id in new long[] { 1, 2, 3, 4, 5 })
        {
            await GatewayHost.SendAsync(sender, id);
        }

        var list = await gateway.GetMessagesAsync();

        Assert.Equal(3, list.GetProperty("total").GetInt32());
        Assert.Equal([5, 4, 3], list.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Send_ManySendsAtOnce_EveryOneIsCounted()
    {
        using var gateway = GatewayHost.Start();
        var sender = gateway.CreateSender();
        const int ids = 1000;

        // Every id twice, all at once: the two sends of an id race each other as a caller's retries can.
        var answers = await Task.WhenAll(Enumerable.Range(1, ids).SelectMany(id => new[] { id, id }).Select(id => GatewayHost.SendAsync(sender, id)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        var list = await gateway.GetMessagesAsync("?pageSize=1000");
        Assert.Equal(ids, list.GetProperty("total").GetInt32());
        Assert.Equal(ids, list.GetProperty("duplicates").GetInt64());
        Assert.All(list.GetProperty("items").EnumerateArray(), item => Assert.Equal(2, item.GetProperty("timesReceived").GetInt32()));
    }
}
