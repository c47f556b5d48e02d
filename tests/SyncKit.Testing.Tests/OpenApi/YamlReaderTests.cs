using System.Text.Json.Nodes;

namespace SyncKit.Testing.Tests.OpenApi;

public sealed class YamlReaderTests
{
    [Fact]
    public void Reads_nested_block_mappings()
    {
        var node = YamlReader.Parse("a:\n  b:\n    c: 1\n  d: two\n")!;
        Assert.Equal(1, node["a"]!["b"]!["c"]!.GetValue<long>());
        Assert.Equal("two", node["a"]!["d"]!.GetValue<string>());
    }

    [Fact]
    public void Reads_sequences_at_the_same_indent_as_their_key()
    {
        var node = YamlReader.Parse("list:\n- one\n- two\n")!;
        Assert.Equal(["one", "two"], node["list"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Reads_compact_mappings_in_sequences()
    {
        var node = YamlReader.Parse("items:\n  - name: a\n    value: 1\n  - name: b\n")!;
        Assert.Equal("a", node["items"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(1, node["items"]![0]!["value"]!.GetValue<long>());
        Assert.Equal("b", node["items"]![1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Reads_sequence_item_with_null_first_key()
    {
        var node = YamlReader.Parse("x:\n  - dateValue:\n    is_date: true\n")!;
        var item = node["x"]![0]!.AsObject();
        Assert.True(item.ContainsKey("dateValue"));
        Assert.Null(item["dateValue"]);
        Assert.True(item["is_date"]!.GetValue<bool>());
    }

    [Fact]
    public void Reads_flow_collections()
    {
        var node = YamlReader.Parse("a: []\nb: {}\nc: [1, \"two\", x]\nd: { k: v, n: 2 }\n")!;
        Assert.Empty(node["a"]!.AsArray());
        Assert.Empty(node["b"]!.AsObject());
        Assert.Equal("two", node["c"]![1]!.GetValue<string>());
        Assert.Equal("v", node["d"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void Reads_quoted_scalars_as_strings()
    {
        var node = YamlReader.Parse("a: \"200\"\nb: 'it''s'\nc: \"q\\\"uote\"\nd: \"#/components/schemas/X\"\n")!;
        Assert.Equal("200", node["a"]!.GetValue<string>());
        Assert.Equal("it's", node["b"]!.GetValue<string>());
        Assert.Equal("q\"uote", node["c"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/X", node["d"]!.GetValue<string>());
    }

    [Fact]
    public void Types_plain_scalars()
    {
        var node = YamlReader.Parse("a: true\nb: 2.50\nc: ~\nd: 2019-03-11\ne: /Date(1552326816230)/\nf: -3\n")!;
        Assert.True(node["a"]!.GetValue<bool>());
        Assert.Equal(2.50m, node["b"]!.GetValue<decimal>());
        Assert.Null(node["c"]);
        Assert.Equal("2019-03-11", node["d"]!.GetValue<string>());
        Assert.Equal("/Date(1552326816230)/", node["e"]!.GetValue<string>());
        Assert.Equal(-3, node["f"]!.GetValue<long>());
    }

    [Fact]
    public void Reads_block_scalars()
    {
        var node = YamlReader.Parse("lit: |\n  line one\n  line two\nfold: >-\n  a\n  b\nnext: 1\n")!;
        Assert.Equal("line one\nline two\n", node["lit"]!.GetValue<string>());
        Assert.Equal("a b", node["fold"]!.GetValue<string>());
        Assert.Equal(1, node["next"]!.GetValue<long>());
    }

    [Fact]
    public void Ignores_comments()
    {
        var node = YamlReader.Parse("# header\na: 1 # trailing\n  # indented comment\nb: x#notacomment\n")!;
        Assert.Equal(1, node["a"]!.GetValue<long>());
        Assert.Equal("x#notacomment", node["b"]!.GetValue<string>());
    }

    [Fact]
    public void Values_may_contain_colons()
    {
        var node = YamlReader.Parse("url: https://api.xero.com/api.xro/2.0\ndesc: Filter by: name\n")!;
        Assert.Equal("https://api.xero.com/api.xro/2.0", node["url"]!.GetValue<string>());
        Assert.Equal("Filter by: name", node["desc"]!.GetValue<string>());
    }

    [OpenApiFact]
    public void Reads_xero_accounting_openapi_file()
    {
        var doc = OpenApiFiles.Accounting;
        Assert.Equal("3.0.0", doc["openapi"]!.GetValue<string>());
        Assert.NotNull(doc["paths"]!["/Invoices"]!["put"]);
        Assert.NotNull(doc["components"]!["schemas"]!["Invoice"]!["properties"]!["InvoiceID"]);
    }

    [Fact]
    public void Validator_checks_types_enums_and_refs()
    {
        var doc = (JsonObject)YamlReader.Parse("""
            components:
              schemas:
                Thing:
                  type: object
                  required:
                    - Name
                  properties:
                    Name:
                      type: string
                    Kind:
                      type: string
                      enum: [A, B]
                    Id:
                      type: string
                      format: uuid
                    When:
                      type: string
                      x-is-msdate: true
                    Children:
                      type: array
                      items:
                        $ref: "#/components/schemas/Thing"
            """)!;
        var validator = new SchemaValidator(doc) { StrictMsDates = true };
        var schema = validator.Resolve("#/components/schemas/Thing");
        Assert.Empty(validator.Validate(JsonNode.Parse("""{"Name":"x","Kind":"A","When":"/Date(1+0000)/","Children":[{"Name":"y"}]}"""), schema));
        Assert.Equal(5, validator.Validate(JsonNode.Parse("""{"Kind":"C","Id":"nope","When":"2020-01-01","Children":[{}]}"""), schema).Count);
    }
}
