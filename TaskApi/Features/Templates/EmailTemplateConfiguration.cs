using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Templates;

public sealed class EmailTemplateConfiguration : IEntityTypeConfiguration<EmailTemplate>
{
    public const int MaxNameLength = 200;

    /// <summary>RFC 5322's limit of a header line, which a subject must fit before folding.</summary>
    public const int MaxSubjectLength = 998;

    public void Configure(EntityTypeBuilder<EmailTemplate> template)
    {
        template.ToTable("email_templates");
        template.HasKey(t => t.Id);
        template.Property(t => t.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        template.Property(t => t.Name).HasColumnName("name").HasMaxLength(MaxNameLength);
        template.Property(t => t.Subject).HasColumnName("subject").HasMaxLength(MaxSubjectLength);
        template.Property(t => t.Html).HasColumnName("html");
        template.Property(t => t.Text).HasColumnName("text");
        template.Property(t => t.CreatedAt).HasColumnName("created_at");
        template.Property(t => t.CreatedBy).IsCreatedByColumn();
        template.Property(t => t.UpdatedAt).HasColumnName("updated_at");
    }
}
