using TaskApi.Features.Lists;

namespace TaskApi.Tests.Features.Lists;

public sealed class UnsubscriptionTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 30, 15, 123, 456, TimeSpan.Zero);

    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Unsubscribe_AddressOnThreeLists_UnsubscribesItFromTheGivenTwoOnly()
    {
        var lists = new[] { await _client.CreateListAsync(), await _client.CreateListAsync(), await _client.CreateListAsync() };
        var email = ListTesting.NewEmail();
        foreach (var list in lists)
        {
            await _client.ImportAsync(list, new { email });
        }

        var changed = await UnsubscribeAsync(email, lists[0], lists[1]);

        Assert.Equal(2, changed);
        foreach (var list in lists[..2])
        {
            var subscriber = Assert.Single(await api.SubscribersAsync(list));
            Assert.Equal(SubscriberStatus.Unsubscribed, subscriber.Status);
            Assert.Equal(Now, subscriber.UnsubscribedAt);
            Assert.Equal(subscriber.UnsubscribedAt, subscriber.UpdatedAt);
        }
        Assert.Equal(SubscriberStatus.Subscribed, Assert.Single(await api.SubscribersAsync(lists[2])).Status);
    }

    [Fact]
    public async Task Unsubscribe_AddressInOtherCaseWithSpaces_FindsTheSubscriber()
    {
        var list = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        await _client.ImportAsync(list, new { email });

        Assert.Equal(1, await UnsubscribeAsync($" {email.ToUpperInvariant()} ", list));
    }

    [Fact]
    public async Task Unsubscribe_Twice_ChangesNothingTheSecondTime()
    {
        var list = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        await _client.ImportAsync(list, new { email });
        await UnsubscribeAsync(email, list);
        var first = Assert.Single(await api.SubscribersAsync(list));

        var changed = await api.WithDbAsync(db => Unsubscription.UnsubscribeAsync(db, email, [list], Now.AddHours(1), default));

        Assert.Equal(0, changed);
        var second = Assert.Single(await api.SubscribersAsync(list));
        Assert.Equal((first.UnsubscribedAt, first.UpdatedAt), (second.UnsubscribedAt, second.UpdatedAt));
    }

    [Fact]
    public async Task Unsubscribe_OneAddress_LeavesTheListsOtherAddressesSubscribed()
    {
        var list = await _client.CreateListAsync();
        var (leaving, staying) = (ListTesting.NewEmail(), ListTesting.NewEmail());
        await _client.ImportAsync(list, new { email = leaving }, new { email = staying });

        await UnsubscribeAsync(leaving, list);

        Assert.Equal(SubscriberStatus.Subscribed, (await api.SubscribersAsync(list)).Single(s => s.Email == staying).Status);
    }

    [Fact]
    public async Task Unsubscribe_AddressNotOnTheList_ReturnsZero()
    {
        var list = await _client.CreateListAsync();
        await _client.ImportAsync(list, new { email = ListTesting.NewEmail() });

        Assert.Equal(0, await UnsubscribeAsync(ListTesting.NewEmail(), list));
        Assert.Equal(0, await UnsubscribeAsync(ListTesting.NewEmail(), 987654321));
        Assert.Equal(0, await UnsubscribeAsync(ListTesting.NewEmail()));
    }

    private Task<int> UnsubscribeAsync(string email, params long[] lists) =>
        api.WithDbAsync(db => Unsubscription.UnsubscribeAsync(db, email, lists, Now, default));
}
