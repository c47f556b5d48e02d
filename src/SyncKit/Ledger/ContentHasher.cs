using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SyncKit.Records;

namespace SyncKit.Ledger;

/// <summary>
/// Hashes a record's content in a canonical, versioned form, so an unchanged record is never re-sent and a changed one is.
/// </summary>
/// <remarks>
/// Each kind names its fields explicitly (never by reflection over the public shape), values are written
/// culture-invariantly and length-prefixed, and decimals are normalised (1.0 and 1.00 hash alike). The rule that keeps
/// hashes stable across SyncKit versions: a field added later is written only when it has a value, so records that do
/// not use it keep the hash they had. Computed properties (a line's net amount) are never read, so a value that
/// overflows when multiplied cannot stop a run. The same walk reports text the ledger could not store as sent.
/// </remarks>
internal static class ContentHasher
{
    /// <summary>The canonical form's version, written first, so a deliberate change of form is visible in every hash.</summary>
    private const byte FormVersion = 1;

    private static readonly JsonSerializerOptions s_fallbackJson = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Hash(SyncRecord record) => Digest(record).Hash;

    /// <summary>The record's hash, and the first field whose text cannot be stored as sent (null when all is well).</summary>
    public static ContentDigest Digest(SyncRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var writer = new CanonicalWriter();
        writer.Byte(FormVersion);
        writer.Text("Kind", record.Kind.ToString());
        writer.Text("SourceId", record.SourceId);
        switch (record)
        {
            case ContactRecord c:
                WriteContact(writer, c);
                break;
            case ItemRecord i:
                WriteItem(writer, i);
                break;
            case DocumentRecord d:
                WriteDocument(writer, d);
                break;
            case PaymentRecord p:
                writer.Text("DocumentKind", p.DocumentKind.ToString());
                writer.Text("DocumentSourceId", p.DocumentSourceId);
                writer.Date("Date", p.Date);
                writer.Decimal("Amount", p.Amount);
                writer.Text("CurrencyCode", p.CurrencyCode);
                writer.Text("AccountKey", p.AccountKey);
                writer.Text("Reference", p.Reference);
                break;
            case ClientRecord c:
                writer.Text("Name", c.Name);
                writer.Text("Email", c.Email);
                writer.Text("Phone", c.Phone);
                WriteAddress(writer, "Address", c.Address);
                break;
            case StaffRecord s:
                writer.Text("Name", s.Name);
                writer.Text("Email", s.Email);
                break;
            case JobRecord j:
                writer.Text("ClientSourceId", j.ClientSourceId);
                writer.Text("Name", j.Name);
                writer.Text("JobNumber", j.JobNumber);
                writer.Text("Description", j.Description);
                writer.Text("State", j.State);
                writer.Date("StartDate", j.StartDate);
                writer.Date("DueDate", j.DueDate);
                break;
            case CostRecord c:
                writer.Text("OrganisationKey", c.OrganisationKey);
                writer.Text("JobSourceId", c.JobSourceId);
                writer.Date("Date", c.Date);
                writer.Text("Description", c.Description);
                writer.Text("Code", c.Code);
                writer.Text("Note", c.Note);
                writer.Decimal("Quantity", c.Quantity);
                writer.Decimal("UnitCost", c.UnitCost);
                writer.Decimal("UnitPrice", c.UnitPrice);
                writer.Bool("Billable", c.Billable);
                break;
            default:
                // A record type SyncKit does not know (a host's own): its public shape, as the best stable form there is.
                writer.Bytes("Json", JsonSerializer.SerializeToUtf8Bytes(record, record.GetType(), s_fallbackJson));
                break;
        }

        return writer.Finish();
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void WriteContact(CanonicalWriter writer, ContactRecord c)
    {
        writer.Text("Name", c.Name);
        writer.Text("AccountNumber", c.AccountNumber);
        writer.Text("Email", c.Email);
        writer.Text("Phone", c.Phone);
        writer.Text("TaxNumber", c.TaxNumber);
        writer.Bool("IsCustomer", c.IsCustomer);
        writer.Bool("IsSupplier", c.IsSupplier);
        if (c.BillingContact is { } person)
        {
            writer.Text("BillingContact.FirstName", person.FirstName);
            writer.Text("BillingContact.LastName", person.LastName);
            writer.Text("BillingContact.Email", person.Email);
        }
        else
        {
            writer.Null("BillingContact");
        }

        writer.Text("PaymentTermsKey", c.PaymentTermsKey);
        WriteAddress(writer, "Address", c.Address);
        writer.Text("DefaultCurrency", c.DefaultCurrency);
    }

    private static void WriteItem(CanonicalWriter writer, ItemRecord i)
    {
        writer.Text("Code", i.Code);
        writer.Text("Name", i.Name);
        writer.Text("Description", i.Description);
        writer.Bool("IsSold", i.IsSold);
        writer.Bool("IsPurchased", i.IsPurchased);
        writer.Decimal("SalePrice", i.SalePrice);
        writer.Text("SalesAccountKey", i.SalesAccountKey);
        writer.Text("SalesTaxKey", i.SalesTaxKey);
        writer.Decimal("PurchasePrice", i.PurchasePrice);
        writer.Text("PurchaseAccountKey", i.PurchaseAccountKey);
        writer.Text("PurchaseTaxKey", i.PurchaseTaxKey);
    }

    private static void WriteDocument(CanonicalWriter writer, DocumentRecord d)
    {
        writer.Text("ContactSourceId", d.ContactSourceId);
        writer.Text("Number", d.Number);
        writer.Text("Reference", d.Reference);
        writer.Date("Date", d.Date);
        writer.Date("DueDate", d.DueDate);
        writer.Text("CurrencyCode", d.CurrencyCode);
        writer.Text("LineAmountType", Enum.IsDefined(d.LineAmountType) ? d.LineAmountType.ToString() : ((int)d.LineAmountType).ToString(CultureInfo.InvariantCulture));
        writer.Text("Status", Enum.IsDefined(d.Status) ? d.Status.ToString() : ((int)d.Status).ToString(CultureInfo.InvariantCulture));
        writer.Decimal("Total", d.Total);
        switch (d)
        {
            case InvoiceRecord invoice:
                writer.Bool("IsPaid", invoice.IsPaid);

                // Only when named, so invoices that name none keep the hash they were synced with.
                if (invoice.RefundsInvoiceSourceId is { } refunds)
                {
                    writer.Text("RefundsInvoiceSourceId", refunds);
                }

                break;
            case CreditNoteRecord note:
                writer.Text("OriginalInvoiceSourceId", note.OriginalInvoiceSourceId);
                break;
            case PurchaseOrderRecord order:
                writer.Date("DeliveryDate", order.DeliveryDate);
                writer.Bool("IsFinished", order.IsFinished);
                break;
            case BillRecord bill:
                writer.Text("PurchaseOrderSourceId", bill.PurchaseOrderSourceId);
                break;
        }

        if (d.Lines is not { } lines)
        {
            writer.Null("Lines");
            return;
        }

        writer.Count("Lines", lines.Count);
        for (var index = 0; index < lines.Count; index++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Lines[{index + 1}].");
            if (lines[index] is not { } line)
            {
                writer.Null(prefix);
                continue;
            }

            writer.Text(prefix + "Description", line.Description);
            writer.Decimal(prefix + "Quantity", line.Quantity);
            writer.Decimal(prefix + "UnitPrice", line.UnitPrice);
            writer.Decimal(prefix + "DiscountRate", line.DiscountRate);
            writer.Text(prefix + "AccountKey", line.AccountKey);
            writer.Text(prefix + "TaxKey", line.TaxKey);
            writer.Text(prefix + "ItemKey", line.ItemKey);
            if (line.Tracking is not { } tracking)
            {
                writer.Null(prefix + "Tracking");
                continue;
            }

            writer.Count(prefix + "Tracking", tracking.Count);
            foreach (var assignment in tracking)
            {
                writer.Text(prefix + "Tracking.Category", assignment?.CategoryKey);
                writer.Text(prefix + "Tracking.Option", assignment?.OptionKey);
            }
        }
    }

    private static void WriteAddress(CanonicalWriter writer, string name, PostalAddress? address)
    {
        if (address is null)
        {
            writer.Null(name);
            return;
        }

        writer.Text(name + ".Line1", address.Line1);
        writer.Text(name + ".Line2", address.Line2);
        writer.Text(name + ".City", address.City);
        writer.Text(name + ".Region", address.Region);
        writer.Text(name + ".PostalCode", address.PostalCode);
        writer.Text(name + ".Country", address.Country);
    }

    /// <summary>Writes tagged, length-prefixed values into a SHA-256; field names are not hashed (their order is the form).</summary>
    /// <remarks>The bytes are gathered in a buffer kept per thread and hashed once: a native hash call per field cost more than the walk.</remarks>
    private sealed class CanonicalWriter
    {
        [ThreadStatic]
        private static byte[]? t_buffer;

        private byte[] _buffer = TakeBuffer();
        private int _length;
        private string? _invalidField;
        private string? _invalidWhy;

        public void Byte(byte value) => Append([value]);

        private static byte[] TakeBuffer()
        {
            var buffer = t_buffer ?? new byte[1024];
            t_buffer = null;
            return buffer;
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length));
            }

            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public void Null(string name)
        {
            _ = name;
            Append([0]);
        }

        public void Text(string name, string? value)
        {
            if (value is null)
            {
                Append([0]);
                return;
            }

            Span<byte> header = stackalloc byte[5];
            header[0] = 1;
            BinaryPrimitives.WriteInt32LittleEndian(header[1..], value.Length);
            Append(header);

            // UTF-16 code units as they are: two strings that differ only in an unpaired surrogate still hash apart.
            Append(MemoryMarshal.AsBytes(value.AsSpan()));
            if (_invalidField is null && TextCheck.FirstProblem(value) is { } why)
            {
                _invalidField = name;
                _invalidWhy = why;
            }
        }

        public void Decimal(string name, decimal? value)
        {
            if (value is not { } d)
            {
                Null(name);
                return;
            }

            // Normalised: trailing zeros do not change the hash (1.0 == 1.00).
            Text(name, (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture));
        }

        public void Date(string name, DateOnly? value)
        {
            if (value is not { } date)
            {
                Null(name);
                return;
            }

            Span<byte> bytes = stackalloc byte[5];
            bytes[0] = 2;
            BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], date.DayNumber);
            Append(bytes);
        }

        public void Bool(string name, bool value)
        {
            _ = name;
            Append([3, value ? (byte)1 : (byte)0]);
        }

        public void Count(string name, int count)
        {
            _ = name;
            Span<byte> bytes = stackalloc byte[5];
            bytes[0] = 4;
            BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], count);
            Append(bytes);
        }

        public void Bytes(string name, byte[] value)
        {
            _ = name;
            Count(name, value.Length);
            Append(value);
        }

        public ContentDigest Finish()
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(_buffer.AsSpan(0, _length)));

            // A buffer grown past 64 KB by a huge record is let go rather than kept for the thread's life.
            if (_buffer.Length <= 64 * 1024)
            {
                t_buffer = _buffer;
            }

            return new ContentDigest(hash, _invalidField, _invalidWhy);
        }
    }
}

/// <summary>A record's content hash and, when some text cannot be stored as sent, which field and why.</summary>
internal readonly record struct ContentDigest(string Hash, string? InvalidTextField, string? InvalidTextReason);

/// <summary>Text a ledger cannot store as it was given: unpaired surrogates and control characters.</summary>
internal static class TextCheck
{
    /// <summary>What is wrong with the text, in plain words, or null when it is fine.</summary>
    public static string? FirstProblem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return string.Create(CultureInfo.InvariantCulture, $"an incomplete character (an unpaired surrogate) at position {i + 1}");
            }

            if (char.IsLowSurrogate(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"an incomplete character (an unpaired surrogate) at position {i + 1}");
            }

            if (c < ' ' && c is not '\t' and not '\n' and not '\r')
            {
                return string.Create(CultureInfo.InvariantCulture, $"a control character (U+{(int)c:X4}) at position {i + 1}");
            }

            if (c is '\u007F' or (>= '\u0080' and <= '\u009F') or '\uFFFE' or '\uFFFF')
            {
                return string.Create(CultureInfo.InvariantCulture, $"a character that is not text (U+{(int)c:X4}) at position {i + 1}");
            }
        }

        return null;
    }
}
