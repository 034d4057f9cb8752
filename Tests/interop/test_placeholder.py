def test_builder_binary_exists(builder):
    assert builder.stat().st_size > 0
