using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Campaigns;
using TaskApi.Features.Templates;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Campaigns;

/// <summary>The size of a campaign's <see cref="CampaignChanged"/> record, our largest, against what Kafka accepts.</summary>
public sealed class CampaignContentTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    // 200,000 Cyrillic characters: 400,000 bytes of UTF-8, within a template part's 512 KiB; 1.2 MB escaped as \uXXXX.
    private static readonly string LargeCyrillicHtml = "<p>" + string.Concat(Enumerable.Repeat("Приветмир", 200_000 / 9)) + "</p>";

    private readonly CampaignScenario _scenario = new(api);

    [Fact]
    public void Sending_CyrillicTemplate_IsWrittenAsUtf8NotAsEscapes()
    {
        var record = MessageJson.Serialize(CampaignContent.Sending(NewCampaign(), "Subject", LargeCyrillicHtml, text: null));

        // Escaped as \uXXXX each character would take 6 bytes; in UTF-8 it takes 2.
        Assert.InRange(record.Length, 1, 2 * LargeCyrillicHtml.Length + 1024);
    }

    [Fact]
    public void Sending_LargestAllowedContent_StaysUnderHalfTheProducersLimit()
    {
        // The worst case for size: every character one that JSON escapes to \u00XX, each length at its limit.
        static string Worst(int length) => new('\u0001', length);
        var campaign = NewCampaign(name: Worst(CampaignConfiguration.MaxNameLength), message: Worst(CampaignConfiguration.MaxMessageLength),
            fromEmail: Worst(CampaignConfiguration.MaxEmailLength), fromName: Worst(CampaignConfiguration.MaxNameLength));

        var record = MessageJson.Serialize(CampaignContent.Sending(campaign,
            Worst(EmailTemplateConfiguration.MaxSubjectLength), Worst(TemplateRules.MaxPartBytes), Worst(TemplateRules.MaxPartBytes)));

        var producerLimit = api.Services.GetRequiredService<ProducerConfig>().MessageMaxBytes;
        Assert.Equal(KafkaLimits.MaxRecordBytes, producerLimit);
        Assert.InRange(record.Length, 1, KafkaLimits.MaxRecordBytes / 2);
    }

    [Fact]
    public async Task Post_LargeCyrillicTemplate_PublishesTheCampaignsContent()
    {
        var template = await _scenario.AddTemplateAsync(html: LargeCyrillicHtml);
        var list = await _scenario.AddListAsync(CampaignScenario.Addresses(1));

        var id = await _scenario.CreateAsync(CampaignScenario.Body(template, [list]));

        var changes = await _scenario.ReadAsync<CampaignChanged>(KafkaTopics.CampaignsChanges, [id.ToString()]);
        Assert.Equal(LargeCyrillicHtml, changes[id.ToString()].Html);
    }

    private static Campaign NewCampaign(string name = "News", string message = "Hello", string fromEmail = "news@example.com", string? fromName = null) => new()
    {
        Id = 1,
        Name = name,
        Message = message,
        FromEmail = fromEmail,
        FromName = fromName,
    };

    public void Dispose() => _scenario.Dispose();
}
