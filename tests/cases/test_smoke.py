from tests.cases.factory import create_case


async def test_created_case_reads_back_with_nested_entities(client):
    created = await create_case(client)
    response = await client(
        """query($id: ID!) { case(id: $id) { id state person { fullName citizenships { country } }
           decision { type daysUntilLapse } events { type toState } } }""",
        id=created["id"],
    )
    case = response.ok()["case"]
    assert case["person"]["citizenships"] == [{"country": "IRQ"}]
    assert case["events"][0]["type"] == "CASE_CREATED"
